{{/*
Usage: {{ include "lib.names.name" . }}
The chart's short name (nameOverride wins), max 63 chars — used in app.kubernetes.io/name.
*/}}
{{- define "lib.names.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Usage: {{ include "lib.names.fullname" . }}
Name of every object of the release: fullnameOverride, else the release name when it already
contains the chart name (release "auth" of chart "auth" → "auth"), else "<release>-<chart>".
*/}}
{{- define "lib.names.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
Usage: {{ include "lib.names.chart" . }}
"<chart>-<version>" for the helm.sh/chart label.
*/}}
{{- define "lib.names.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Usage: serviceAccountName: {{ include "lib.names.serviceAccountName" . }}
The ServiceAccount the pods run as: serviceAccount.name, else the fullname when the chart
creates it, else "default".
*/}}
{{- define "lib.names.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "lib.names.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
Usage: name: {{ include "lib.names.configMapName" . }}
Name of the ConfigMap holding the non-secret environment.
*/}}
{{- define "lib.names.configMapName" -}}
{{- printf "%s-env" (include "lib.names.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
