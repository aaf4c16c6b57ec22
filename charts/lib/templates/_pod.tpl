{{/*
Usage: image: {{ include "lib.image" . }}
"repository:tag" (tag defaults to the chart's appVersion) or "repository@digest" when
image.digest is set. Skaffold/Tilt override image.repository and image.tag.
*/}}
{{- define "lib.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag | toString) -}}
{{- end -}}
{{- end -}}

{{/*
Usage: env: {{- include "lib.env.connections" . | nindent 12 }}
Connection variables built from existing Secrets (never from values): DATABASE_URL from the
CloudNativePG basic-auth Secret, REDIS_URL from the Redis password Secret, RABBITMQ_URL from
the service's RabbitMQ user Secret. Kubernetes expands $(VAR) from entries defined earlier in
the list, so passwords never appear in a ConfigMap or in the chart. Passwords must be URL-safe
(scripts/kind-up generates hex).
*/}}
{{- define "lib.env.connections" -}}
{{- with .Values.database }}
{{- if .enabled }}
- name: DATABASE_USER
  valueFrom: { secretKeyRef: { name: {{ .existingSecret | quote }}, key: {{ .usernameKey | quote }} } }
- name: DATABASE_PASSWORD
  valueFrom: { secretKeyRef: { name: {{ .existingSecret | quote }}, key: {{ .passwordKey | quote }} } }
- name: DATABASE_URL
  value: {{ printf "postgres://$(DATABASE_USER):$(DATABASE_PASSWORD)@%s:%d/%s?sslmode=%s" .host (int .port) .name .sslmode | quote }}
{{- end }}
{{- end }}
{{- with .Values.redis }}
{{- if .enabled }}
- name: REDIS_PASSWORD
  valueFrom: { secretKeyRef: { name: {{ .existingSecret | quote }}, key: {{ .passwordKey | quote }} } }
- name: REDIS_URL
  value: {{ printf "redis://:$(REDIS_PASSWORD)@%s:%d/%d" .host (int .port) (int .db) | quote }}
{{- end }}
{{- end }}
{{- with .Values.rabbitmq }}
{{- if .enabled }}
- name: RABBITMQ_USER
  valueFrom: { secretKeyRef: { name: {{ .existingSecret | quote }}, key: {{ .usernameKey | quote }} } }
- name: RABBITMQ_PASSWORD
  valueFrom: { secretKeyRef: { name: {{ .existingSecret | quote }}, key: {{ .passwordKey | quote }} } }
- name: RABBITMQ_URL
  value: {{ printf "amqp://$(RABBITMQ_USER):$(RABBITMQ_PASSWORD)@%s:%d/%s" .host (int .port) (.vhost | urlquery) | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
Usage: {{- include "lib.env.extraSecrets" . | nindent 12 }}
Extra variables read from existing Secrets: secretEnv is a list of
{name, secretName, key, optional}. Used for SENTRY_DSN and the like.
*/}}
{{- define "lib.env.extraSecrets" -}}
{{- range .Values.secretEnv }}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secretName | quote }}
      key: {{ .key | quote }}
      optional: {{ .optional | default false }}
{{- end }}
{{- end -}}

{{/*
Usage: securityContext: {{- include "lib.pod.securityContext" . | nindent 8 }}
Pod-level security: non-root numeric user, RuntimeDefault seccomp, fsGroup for emptyDirs.
*/}}
{{- define "lib.pod.securityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.podSecurityContext.runAsUser }}
runAsGroup: {{ .Values.podSecurityContext.runAsGroup }}
fsGroup: {{ .Values.podSecurityContext.fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
Usage: securityContext: {{- include "lib.container.securityContext" . | nindent 12 }}
Container-level security: no privilege escalation, every capability dropped, read-only root
file system (writable paths are emptyDirs, see lib.deployment).
*/}}
{{- define "lib.container.securityContext" -}}
allowPrivilegeEscalation: false
privileged: false
readOnlyRootFilesystem: {{ .Values.securityContext.readOnlyRootFilesystem }}
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
{{- end -}}

{{/*
Usage: {{- include "lib.probes" . | nindent 10 }}
Startup, liveness and readiness HTTP probes on the named container port "http". Liveness only
says the process is alive (/health/live); readiness checks real dependencies (/health/ready),
so a pod whose database is gone leaves the Service without being restarted.
*/}}
{{- define "lib.probes" -}}
{{- with .Values.probes }}
startupProbe:
  httpGet: { path: {{ .liveness.path }}, port: http }
  periodSeconds: {{ .startup.periodSeconds }}
  failureThreshold: {{ .startup.failureThreshold }}
livenessProbe:
  httpGet: { path: {{ .liveness.path }}, port: http }
  periodSeconds: {{ .liveness.periodSeconds }}
  timeoutSeconds: {{ .liveness.timeoutSeconds }}
  failureThreshold: {{ .liveness.failureThreshold }}
readinessProbe:
  httpGet: { path: {{ .readiness.path }}, port: http }
  periodSeconds: {{ .readiness.periodSeconds }}
  timeoutSeconds: {{ .readiness.timeoutSeconds }}
  failureThreshold: {{ .readiness.failureThreshold }}
{{- end }}
{{- end -}}
