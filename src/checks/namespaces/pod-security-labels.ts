/** The Pod Security Admission namespace labels (k8s.io/pod-security-admission/api). */
export const PSA_PREFIX = 'pod-security.kubernetes.io/';
export const PSA_MODES = ['enforce', 'audit', 'warn'] as const;
export const PSA_LEVELS = ['privileged', 'baseline', 'restricted'];
/** `latest` or a Kubernetes minor version such as `v1.30`. */
export const PSA_VERSION = /^(latest|v1\.(0|[1-9]\d*))$/;
