{{/*
Usage (templates/service.yaml): {{ include "lib.service" . }}
ClusterIP Service exposing the container port "http" on service.port (same number as the
container port for services, so URLs like http://auth.bank-auth.svc:3001 read the same
natively and in the cluster).
*/}}
{{- define "lib.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "lib.names.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "lib.labels.standard" . | nindent 4 }}
    app.kubernetes.io/component: server
  {{- with .Values.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ .Values.service.type }}
  selector:
    {{- include "lib.labels.selector" . | nindent 4 }}
  ports:
    - name: http
      port: {{ .Values.service.port }}
      targetPort: http
      protocol: TCP
{{- end -}}

{{/*
Usage (templates/serviceaccount.yaml): {{ include "lib.serviceAccount" . }}
A dedicated ServiceAccount per component (no API token mounted: no component talks to the
Kubernetes API). Rendered only when serviceAccount.create is true.
*/}}
{{- define "lib.serviceAccount" -}}
{{- if .Values.serviceAccount.create -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "lib.names.serviceAccountName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "lib.labels.standard" . | nindent 4 }}
  {{- with .Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: {{ .Values.serviceAccount.automountToken }}
{{- end -}}
{{- end -}}

{{/*
Usage (templates/configmap.yaml): {{ include "lib.configMap" . }}
Non-secret environment (the `env` map of values.yaml), loaded with envFrom. Secrets never go
here: they come from existing Secrets (database/redis/rabbitmq/secretEnv/secretFiles).
*/}}
{{- define "lib.configMap" -}}
{{- if .Values.env -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "lib.names.configMapName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "lib.labels.standard" . | nindent 4 }}
data:
  {{- range $key, $value := .Values.env }}
  {{ $key }}: {{ tpl (toString $value) $ | quote }}
  {{- end }}
{{- end -}}
{{- end -}}

{{/*
Usage (templates/hpa.yaml): {{ include "lib.hpa" . }}
autoscaling/v2 HorizontalPodAutoscaler on CPU (and memory when set), with a slow scale-down
so WebSocket-holding gateway pods are not churned. Rendered when autoscaling.enabled.
*/}}
{{- define "lib.hpa" -}}
{{- if .Values.autoscaling.enabled -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "lib.names.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "lib.labels.standard" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "lib.names.fullname" . }}
  minReplicas: {{ .Values.autoscaling.minReplicas }}
  maxReplicas: {{ .Values.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ .Values.autoscaling.targetCPUUtilizationPercentage }}
    {{- with .Values.autoscaling.targetMemoryUtilizationPercentage }}
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: {{ . }}
    {{- end }}
  behavior:
    scaleDown:
      stabilizationWindowSeconds: {{ .Values.autoscaling.scaleDownStabilizationSeconds }}
      policies:
        - type: Pods
          value: 1
          periodSeconds: 60
{{- end -}}
{{- end -}}

{{/*
Usage (templates/pdb.yaml): {{ include "lib.pdb" . }}
policy/v1 PodDisruptionBudget keeping podDisruptionBudget.minAvailable server pods during node
drains. Rendered when podDisruptionBudget.enabled.
*/}}
{{- define "lib.pdb" -}}
{{- if .Values.podDisruptionBudget.enabled -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "lib.names.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "lib.labels.standard" . | nindent 4 }}
spec:
  minAvailable: {{ .Values.podDisruptionBudget.minAvailable }}
  selector:
    matchLabels:
      {{- include "lib.labels.selector" . | nindent 6 }}
{{- end -}}
{{- end -}}

{{/*
Usage (templates/servicemonitor.yaml): {{ include "lib.serviceMonitor" . }}
Prometheus-operator ServiceMonitor scraping /metrics on the "http" port. /metrics is only
reachable inside the cluster (the ingress never routes it). Rendered when
metrics.serviceMonitor.enabled.
*/}}
{{- define "lib.serviceMonitor" -}}
{{- if .Values.metrics.serviceMonitor.enabled -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "lib.names.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "lib.labels.standard" . | nindent 4 }}
    {{- with .Values.metrics.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "lib.labels.selector" . | nindent 6 }}
  endpoints:
    - port: http
      path: {{ .Values.metrics.path }}
      interval: {{ .Values.metrics.serviceMonitor.interval }}
      scrapeTimeout: {{ .Values.metrics.serviceMonitor.scrapeTimeout }}
{{- end -}}
{{- end -}}
