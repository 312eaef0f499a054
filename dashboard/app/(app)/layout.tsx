import { requireSession } from "@/lib/auth/session";
import { LiveProvider } from "@/lib/live/live-provider";
import { AppHeader } from "@/components/layout/app-header";

export default async function AppLayout({ children }: LayoutProps<"/">) {
  const session = await requireSession();
  return (
    <LiveProvider>
      <AppHeader session={session} />
      <main id="main" className="mx-auto grid max-w-7xl gap-6 px-4 py-6">
        {children}
      </main>
    </LiveProvider>
  );
}
