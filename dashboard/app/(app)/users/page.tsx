import type { Metadata } from "next";

import { listUsers, settle } from "@/lib/api/queries";
import { requireSession } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { createUser, deleteUser } from "@/lib/users-actions";
import { Forbidden } from "@/components/layout/forbidden";
import { ErrorAlert } from "@/components/layout/error-alert";
import { PageHeader } from "@/components/layout/page-header";
import { CreateUserForm } from "@/components/users/create-user-form";
import { DeleteUserButton } from "@/components/users/delete-user-button";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const session = await requireSession();
  if (!session.permissions.manageUsers) {
    return (
      <>
        <PageHeader title="Users" />
        <Forbidden>Only administrators can manage users.</Forbidden>
      </>
    );
  }
  const users = await settle(listUsers());
  return (
    <>
      <PageHeader title="Users" description="Who can sign in to the dashboard and the API, and with which role." />
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>New user</h2>
          </CardTitle>
        </CardHeader>
        <CardContent>
          <CreateUserForm action={createUser} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Users</h2>
          </CardTitle>
        </CardHeader>
        <CardContent>
          {users.error && <ErrorAlert title="Cannot read users" message={users.error} />}
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>User name</TableHead>
                <TableHead>Role</TableHead>
                <TableHead>Created</TableHead>
                <TableHead className="text-right">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {(users.value ?? []).length === 0 && (
                <TableRow>
                  <TableCell colSpan={4} className="text-muted-foreground py-6 text-center">
                    No users.
                  </TableCell>
                </TableRow>
              )}
              {(users.value ?? []).map((user) => (
                <TableRow key={user.username} data-username={user.username}>
                  <TableCell className="font-medium">
                    {user.username}
                    {user.username === session.username && <span className="text-muted-foreground"> (you)</span>}
                  </TableCell>
                  <TableCell>
                    <Badge variant="outline">{user.role}</Badge>
                  </TableCell>
                  <TableCell>{formatDateTime(user.createdAt)}</TableCell>
                  <TableCell className="text-right">
                    <DeleteUserButton
                      username={user.username}
                      self={user.username === session.username}
                      action={deleteUser}
                    />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
    </>
  );
}
