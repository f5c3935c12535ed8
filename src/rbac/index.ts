/** RBAC analysis: the library API behind `bosun rbac …`. */
export { buildRbacModel, subjectKey, describeSubject, isSystemSubject, type RbacModel, type RbacModelOptions, type RbacSubject, type RoleModel, type BindingModel, type ServiceAccountModel, type RbacIssue, type SubjectKind } from './model.ts';
export { whoCan, canI, grantsOf, parseSubject, parseQuery, identityOf, type AccessQuery, type Grant, type WhoCanResult, type CanResult } from './query.ts';
export { rbacFindings, rbacIssueFindings, RBAC_RISKS, RBAC_RULE_LIST, RBAC_ISSUE_RULES } from './risks.ts';
export { escalationPaths, escalationGraph, renderPaths, PATH_FORMATS, CLUSTER_ADMIN, type PathsResult, type EscalationPath, type PathStep, type PathFormat, type PathsOptions } from './paths.ts';
export { ruleAllows, resourceMatches, nonResourceURLMatches, type PolicyRule, type AccessRequest, type Permission } from './policy-rule.ts';
export { DEFAULT_CLUSTER_ROLES, DEFAULT_CLUSTER_ROLE_BINDINGS, DEFAULT_ROLES, DEFAULT_ROLE_BINDINGS, type DefaultBinding, type DefaultClusterRole } from './defaults.ts';
