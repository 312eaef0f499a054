import Link from "next/link";

/** A job's short id, linking to its page. */
export function JobLink({ id }: { id: string }) {
  return (
    <Link href={`/jobs/${id}`} className="font-mono text-xs underline-offset-4 hover:underline" title={id}>
      {id.slice(0, 8)}
    </Link>
  );
}

/** The command line as typed: name and arguments, quoted where they hold spaces. */
export function commandLine(command: string, args: string[]): string {
  return [command, ...args.map((arg) => (/[\s"']/.test(arg) || arg === "" ? JSON.stringify(arg) : arg))].join(" ");
}
