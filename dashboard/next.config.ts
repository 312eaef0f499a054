import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // A self-contained server (.next/standalone) for the container image.
  output: "standalone",
  poweredByHeader: false,
  turbopack: {
    // Tailwind v4 through its Turbopack loader (no PostCSS config needed).
    rules: {
      "*.css": {
        loaders: ["@tailwindcss/turbopack"],
        as: "*.css",
      },
    },
  },
};

export default nextConfig;
