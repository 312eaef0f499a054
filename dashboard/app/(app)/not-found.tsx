import Link from "next/link";

export default function NotFound() {
  return (
    <div className="grid gap-2">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="text-muted-foreground">
        There is no such agent or job. <Link href="/" className="underline underline-offset-4">Back to the overview</Link>.
      </p>
    </div>
  );
}
