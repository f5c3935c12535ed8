{{- define "bosun-admission.name" -}}bosun-admission{{- end -}}
{{- define "bosun-admission.labels" -}}
app.kubernetes.io/name: bosun-admission
app.kubernetes.io/part-of: bosun
{{- end -}}
