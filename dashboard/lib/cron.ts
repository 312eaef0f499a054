// Cron expressions as schedules take them (five fields: minute hour day-of-month month
// day-of-week, or an @-shorthand), with a short plain-English hint for the form and the list.
// The orchestrator (Temporal Schedules) parses them and stays authoritative; this only catches
// obvious mistakes and explains common forms. Times are UTC.

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
  { name: "day of week", min: 0, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
] as const;

const SHORTHANDS: Record<string, string> = {
  "@yearly": "once a year, at 00:00 UTC on 1 January",
  "@annually": "once a year, at 00:00 UTC on 1 January",
  "@monthly": "once a month, at 00:00 UTC on the 1st",
  "@weekly": "once a week, at 00:00 UTC on Sunday",
  "@daily": "every day at 00:00 UTC",
  "@midnight": "every day at 00:00 UTC",
  "@hourly": "every hour, at minute 0",
};

const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** What is wrong with a cron expression, or undefined when it looks right. */
export function cronError(expression: string): string | undefined {
  const text = expression.trim();
  if (text === "") return "enter a cron expression, e.g. */15 * * * *";
  if (text.startsWith("@")) {
    if (SHORTHANDS[text.toLowerCase()] || /^@every\s+\S+$/i.test(text)) return undefined;
    return `unknown shorthand ${text} (use @hourly, @daily, @weekly, @monthly, @yearly or @every 30m)`;
  }
  const parts = text.split(/\s+/);
  if (parts.length !== 5) return `expected 5 fields (minute hour day-of-month month day-of-week), found ${parts.length}`;
  for (let i = 0; i < 5; i++) {
    const error = fieldError(parts[i], FIELDS[i]);
    if (error) return `${FIELDS[i].name}: ${error}`;
  }
  return undefined;
}

function fieldError(field: string, spec: (typeof FIELDS)[number]): string | undefined {
  for (const item of field.split(",")) {
    const [range, step, extra] = item.split("/");
    if (extra !== undefined || (step !== undefined && !/^\d+$/.test(step))) return `bad step in "${item}"`;
    if (step !== undefined && Number(step) < 1) return `the step in "${item}" must be at least 1`;
    if (range === "*" || range === "?") continue;
    const bounds = range.split("-");
    if (bounds.length > 2) return `bad range "${range}"`;
    for (const bound of bounds) {
      const value = fieldValue(bound, spec);
      if (value === undefined) return `"${bound}" is not a number`;
      if (value < spec.min || value > spec.max) return `${bound} is out of range ${spec.min}-${spec.max}`;
    }
  }
  return undefined;
}

function fieldValue(text: string, spec: (typeof FIELDS)[number]): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  if ("names" in spec) {
    const index = (spec.names as readonly string[]).indexOf(text.toUpperCase());
    if (index >= 0) return index + spec.min;
  }
  return undefined;
}

const pad = (n: string) => n.padStart(2, "0");

/** A short hint for an expression: "every 15 minutes", "every day at 02:30 UTC"; null when invalid. */
export function describeCron(expression: string): string | null {
  if (cronError(expression)) return null;
  const text = expression.trim();
  if (text.startsWith("@")) {
    const every = /^@every\s+(\S+)$/i.exec(text);
    return every ? `every ${every[1]}` : SHORTHANDS[text.toLowerCase()];
  }
  const [minute, hour, dom, month, dow] = text.split(/\s+/);
  const anyDay = dom === "*" || dom === "?";
  const anyMonth = month === "*";
  const anyDow = dow === "*" || dow === "?";
  const plainDays = anyDay && anyMonth && anyDow;
  const number = /^\d+$/;

  if (plainDays) {
    if (minute === "*" && hour === "*") return "every minute";
    const step = /^\*\/(\d+)$/.exec(minute);
    if (step && hour === "*") return Number(step[1]) === 1 ? "every minute" : `every ${step[1]} minutes`;
    if (number.test(minute) && hour === "*") return `every hour at minute ${Number(minute)}`;
    const hourStep = /^\*\/(\d+)$/.exec(hour);
    if (number.test(minute) && hourStep) return `every ${hourStep[1]} hours at minute ${Number(minute)}`;
  }
  if (number.test(minute) && number.test(hour)) {
    const time = `${pad(hour)}:${pad(minute)} UTC`;
    if (plainDays) return `every day at ${time}`;
    if (anyDay && anyMonth && number.test(dow)) return `every ${DAY_NAMES[Number(dow)]} at ${time}`;
    if (anyDay && anyMonth && dow === "1-5") return `every weekday at ${time}`;
    if (number.test(dom) && anyMonth && anyDow) return `on day ${Number(dom)} of every month at ${time}`;
  }
  return `at minute ${minute}, hour ${hour}, day ${dom}, month ${month}, weekday ${dow} (UTC)`;
}

/** A schedule's name as the orchestrator takes it: 1-100 letters, digits, spaces or _ . -, starting with a letter or digit. */
export function scheduleNameError(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === "") return "Give the schedule a name.";
  if (!/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}$/.test(trimmed)) {
    return "Use 1-100 letters, digits, spaces or _ . -, starting with a letter or digit.";
  }
  return undefined;
}
