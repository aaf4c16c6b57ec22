{{/*
Usage (templates/dashboards.yaml): {{ include "lib.dashboards" . }}
One ConfigMap per Grafana dashboard the chart ships (monitoring/dashboards/*.json, written by
k8s/monitoring/generate-dashboards.ts), labelled for Grafana's dashboard sidecar
(monitoring.dashboards.labels, kube-prometheus-stack: grafana_dashboard "1") and annotated with
the Grafana folder (monitoring.dashboards.folderAnnotation: monitoring.dashboards.folder).
The ConfigMaps live in the release namespace: the sidecar must search every namespace
(grafana.sidecar.dashboards.searchNamespace: ALL, see k8s/monitoring/README.md). Rendered when
monitoring.dashboards.enabled and the chart has dashboards.
*/}}
{{- define "lib.dashboards" -}}
{{- if .Values.monitoring.dashboards.enabled -}}
{{- range $path, $_ := .Files.Glob "monitoring/dashboards/*.json" }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ printf "%s-dashboard-%s" (include "lib.names.fullname" $) (base $path | trimSuffix ".json" | trimPrefix "bank-") | trunc 63 | trimSuffix "-" }}
  namespace: {{ $.Release.Namespace }}
  labels:
    {{- include "lib.labels.standard" $ | nindent 4 }}
    {{- toYaml $.Values.monitoring.dashboards.labels | nindent 4 }}
  annotations:
    {{ $.Values.monitoring.dashboards.folderAnnotation }}: {{ $.Values.monitoring.dashboards.folder | quote }}
data:
  {{ base $path }}: |
    {{- $.Files.Get $path | nindent 4 }}
{{- end }}
{{- end -}}
{{- end -}}

{{/*
Usage (templates/prometheusrule.yaml): {{ include "lib.prometheusRule" . }}
Prometheus-operator PrometheusRule with the chart's alert groups (monitoring/alerts.yaml, written
by k8s/monitoring/generate-dashboards.ts from k8s/monitoring/alerts.ts). Each rule gets
annotations.runbook_url = <monitoring.alerts.runbookBaseUrl>/<alert>.md (docs/runbooks/) and the
labels the Prometheus ruleSelector matches (monitoring.alerts.labels). Rendered when
monitoring.alerts.enabled and the chart has alert rules.
*/}}
{{- define "lib.prometheusRule" -}}
{{- $file := .Files.Get "monitoring/alerts.yaml" -}}
{{- if and .Values.monitoring.alerts.enabled $file -}}
{{- $spec := fromYaml $file -}}
{{- range $group := $spec.groups }}
{{- range $rule := $group.rules }}
{{- $_ := set $rule.annotations "runbook_url" (printf "%s/%s.md" (trimSuffix "/" $.Values.monitoring.alerts.runbookBaseUrl) $rule.alert) }}
{{- end }}
{{- end -}}
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: {{ include "lib.names.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "lib.labels.standard" . | nindent 4 }}
    {{- with .Values.monitoring.alerts.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  {{- toYaml $spec | nindent 2 }}
{{- end -}}
{{- end -}}
