// What a user may do, from the roles in their token. Mirrors the orchestrator's SecurityConfig:
// jobs are submitted and canceled by ADMIN and OPERATOR; enrollment and decommissioning are
// ADMIN only, as are users and the audit log; VIEWER reads. The UI hides what the orchestrator
// would refuse anyway.
import type { Role } from "@/lib/api/types";

export interface Permissions {
  runJobs: boolean;
  cancelJobs: boolean;
  decommissionAgents: boolean;
  manageEnrollment: boolean;
  manageUsers: boolean;
  readAudit: boolean;
}

export function permissionsFor(roles: readonly Role[]): Permissions {
  const admin = roles.includes("ADMIN");
  const operator = admin || roles.includes("OPERATOR");
  return {
    runJobs: operator,
    cancelJobs: operator,
    decommissionAgents: admin,
    manageEnrollment: admin,
    manageUsers: admin,
    readAudit: admin,
  };
}

export const NO_PERMISSIONS: Permissions = permissionsFor([]);
