import type { Metadata } from "next";
import Link from "next/link";
import { listMembers } from "@/db/queries/memberships";
import { Card, EmptyState, PageHeader } from "@/components/ui";
import { requireCaller } from "@/lib/auth/caller";
import { loadFolderTree, type FolderTreeNode } from "@/lib/workspace/folders";
import { viewerOf } from "@/lib/workspace/visibility";
import { FolderBadges } from "./folder-badges";
import { CreateFolderForm } from "./folder-forms";

export const metadata: Metadata = { title: "Folders" };

export default async function FoldersPage() {
  const caller = await requireCaller();
  const [tree, members] = await Promise.all([
    loadFolderTree({ viewer: viewerOf(caller) }),
    listMembers({ organizationId: caller.organization.id }),
  ]);
  return (
    <>
      <PageHeader title="Folders" description={`Folders and projects of ${caller.organization.name}`} />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <Card title="All folders">
            {tree.length === 0 ? (
              <EmptyState title="No folders yet">Create the first folder with the form on this page.</EmptyState>
            ) : (
              <FolderTree nodes={tree} />
            )}
          </Card>
        </div>
        <div>
          <Card title="New folder">
            <CreateFolderForm members={members} currentUserId={caller.user.id} />
          </Card>
        </div>
      </div>
    </>
  );
}

function FolderTree({ nodes, nested = false }: { nodes: FolderTreeNode[]; nested?: boolean }) {
  return (
    <ul className={nested ? "ml-4 mt-1 space-y-1 border-l border-slate-200 pl-4" : "space-y-1"}>
      {nodes.map((node) => (
        <li key={node.id}>
          <div className="flex flex-wrap items-center gap-2 py-1">
            <span aria-hidden className="text-slate-400">
              {node.isProject ? "◆" : "▸"}
            </span>
            <Link href={`/folders/${node.id}`} className="text-sm font-medium text-slate-900 hover:text-indigo-700 hover:underline">
              {node.title}
            </Link>
            <FolderBadges folder={node} />
          </div>
          {node.children.length > 0 && <FolderTree nodes={node.children} nested />}
        </li>
      ))}
    </ul>
  );
}
