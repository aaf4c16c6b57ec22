{{/*
Usage (templates/ingress.yaml): {{ include "lib.ingress" . }}
One networking.k8s.io/v1 Ingress per enabled entry of ingress.routes (ingress-nginx applies
annotations per Ingress object, so each route class — API, credential endpoints, WebSocket,
static front-ends — gets its own rate limits and timeouts). Common annotations
(ingress.annotations: TLS redirect, body size…) are merged under each route's own. Every route
shares ingress.host and the TLS Secret ingress.tls.secretName (issued by cert-manager, either
by the Certificate in k8s/cert-manager or, when ingress.tls.clusterIssuer is set, through the
ingress-shim annotation). A path's backend is this chart's Service unless path.service names
another Service of the same namespace (the front-ends live next to the gateway for that
reason). Rendered when ingress.enabled.
*/}}
{{- define "lib.ingress" -}}
{{- if .Values.ingress.enabled -}}
{{- $root := . -}}
{{- range $route := .Values.ingress.routes }}
{{- if $route.enabled }}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ printf "%s-%s" (include "lib.names.fullname" $root) $route.name | trunc 63 | trimSuffix "-" }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "lib.labels.standard" $root | nindent 4 }}
    bank.example/route: {{ $route.name }}
  annotations:
    {{- with $root.Values.ingress.tls.clusterIssuer }}
    cert-manager.io/cluster-issuer: {{ . | quote }}
    {{- end }}
    {{- range $k, $v := merge (dict) ($route.annotations | default dict) $root.Values.ingress.annotations }}
    {{ $k }}: {{ $v | toString | quote }}
    {{- end }}
spec:
  ingressClassName: {{ $root.Values.ingress.className }}
  tls:
    - hosts: [{{ $root.Values.ingress.host | quote }}]
      secretName: {{ $root.Values.ingress.tls.secretName }}
  rules:
    - host: {{ $root.Values.ingress.host | quote }}
      http:
        paths:
          {{- range $route.paths }}
          - path: {{ .path }}
            pathType: {{ .pathType }}
            backend:
              service:
                name: {{ default (include "lib.names.fullname" $root) .service }}
                port:
                  name: http
          {{- end }}
{{- end }}
{{- end }}
{{- end -}}
{{- end -}}
