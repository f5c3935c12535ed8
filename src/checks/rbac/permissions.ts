/** The dangerous permissions and default ClusterRoles live with the RBAC model (src/rbac/permissions.ts). */
export * from '../../rbac/permissions.ts';
