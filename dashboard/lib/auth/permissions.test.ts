import { describe, expect, it } from "vitest";

import { permissionsFor } from "@/lib/auth/permissions";
import { decodeToken, isExpired } from "@/lib/auth/token";

function jwt(payload: object): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "RS256" })}.${encode(payload)}.signature`;
}

describe("permissionsFor", () => {
  it("lets a viewer only read", () => {
    expect(permissionsFor(["VIEWER"])).toEqual({
      runJobs: false,
      cancelJobs: false,
      decommissionAgents: false,
      manageEnrollment: false,
      manageUsers: false,
      readAudit: false,
    });
  });

  it("lets an operator run and cancel jobs but not administer", () => {
    expect(permissionsFor(["OPERATOR"])).toMatchObject({
      runJobs: true,
      cancelJobs: true,
      manageEnrollment: false,
      manageUsers: false,
      readAudit: false,
    });
  });

  it("lets an admin do everything", () => {
    expect(Object.values(permissionsFor(["ADMIN"])).every(Boolean)).toBe(true);
  });
});

describe("decodeToken", () => {
  it("reads user, roles and expiry from the orchestrator's JWT", () => {
    const claims = decodeToken(jwt({ sub: "admin", roles: ["ADMIN"], exp: 2_000_000_000, iss: "mamos" }));
    expect(claims).toEqual({ username: "admin", roles: ["ADMIN"], expiresAt: 2_000_000_000 });
  });

  it("drops roles it does not know and rejects malformed tokens", () => {
    expect(decodeToken(jwt({ sub: "x", roles: ["ROOT", "VIEWER"], exp: 1 }))?.roles).toEqual(["VIEWER"]);
    expect(decodeToken("not-a-jwt")).toBeNull();
    expect(decodeToken(jwt({ roles: ["ADMIN"] }))).toBeNull();
  });

  it("treats a token as expired a few seconds early", () => {
    const claims = { username: "a", roles: [], expiresAt: 1000 };
    expect(isExpired(claims, 994_000)).toBe(false);
    expect(isExpired(claims, 996_000)).toBe(true);
  });
});
