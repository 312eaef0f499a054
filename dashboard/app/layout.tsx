import type { Metadata } from "next";

import { ThemeProvider } from "@/components/layout/theme-provider";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "MAMOS", template: "%s · MAMOS" },
  description: "Manage MAMOS agents and jobs",
};

export default function RootLayout({ children }: LayoutProps<"/">) {
  return (
    // next-themes sets the `dark` class before hydration, hence the suppressed warning.
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-svh font-sans antialiased">
        <a
          href="#main"
          className="bg-background sr-only z-50 rounded-md border px-3 py-2 focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
        >
          Skip to content
        </a>
        <ThemeProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange>
          {children}
        </ThemeProvider>
      </body>
    </html>
  );
}
