{{/*
Usage: labels: {{- include "lib.labels.standard" . | nindent 4 }}
Recommended Kubernetes labels put on every object of the release. The version label is the
image tag as a string (an all-digit `--set image.tag=1234567` arrives as an integer), cut to a
valid label value (63 characters, alphanumeric at both ends).
*/}}
{{- define "lib.labels.standard" -}}
helm.sh/chart: {{ include "lib.names.chart" . }}
app.kubernetes.io/name: {{ include "lib.names.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- with (default .Chart.AppVersion .Values.image.tag | toString) }}
app.kubernetes.io/version: {{ regexReplaceAll "^[-_.]+|[-_.]+$" (trunc 63 .) "" | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: bank-payments
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
Usage: matchLabels: {{- include "lib.labels.selector" . | nindent 6 }}
Immutable selector of the long-running pods (Deployment, Service, PDB, ServiceMonitor). The
component label keeps the migration Job's pods out of the Service.
*/}}
{{- define "lib.labels.selector" -}}
app.kubernetes.io/name: {{ include "lib.names.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: server
{{- end -}}

{{/*
Usage: podSelector: { matchLabels: {{- include "lib.labels.workload" . | nindent 6 }} }
Every pod of the release, server and migration Job alike (NetworkPolicy target).
*/}}
{{- define "lib.labels.workload" -}}
app.kubernetes.io/name: {{ include "lib.names.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
