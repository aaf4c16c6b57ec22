{{/*
Usage (templates/networkpolicy.yaml): {{ include "lib.networkPolicy" . }}
Default-deny NetworkPolicy for every pod of the release (server and migration Job), opened
only to the peers listed in values:
  networkPolicy.ingressFrom: [{namespace, podLabels}]  → may connect to the "http" port
  networkPolicy.egressTo:    [{namespace, podLabels, ports: [{port, protocol}]}]
                             (namespace "" = the release's own namespace, e.g. its database)
  networkPolicy.allowDNS:    egress to kube-dns on 53/UDP+TCP
Namespaces are matched on the immutable kubernetes.io/metadata.name label.
*/}}
{{- define "lib.networkPolicy" -}}
{{- if .Values.networkPolicy.enabled -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "lib.names.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "lib.labels.standard" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "lib.labels.workload" . | nindent 6 }}
  policyTypes: ["Ingress", "Egress"]
  ingress:
    {{- range .Values.networkPolicy.ingressFrom }}
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: {{ default $.Release.Namespace .namespace }}
          {{- with .podLabels }}
          podSelector:
            matchLabels:
              {{- toYaml . | nindent 14 }}
          {{- end }}
      ports:
        - port: http
          protocol: TCP
    {{- end }}
  egress:
    {{- if .Values.networkPolicy.allowDNS }}
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - { port: 53, protocol: UDP }
        - { port: 53, protocol: TCP }
    {{- end }}
    {{- range .Values.networkPolicy.egressTo }}
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: {{ default $.Release.Namespace .namespace }}
          {{- with .podLabels }}
          podSelector:
            matchLabels:
              {{- toYaml . | nindent 14 }}
          {{- end }}
      ports:
        {{- range .ports }}
        - port: {{ .port }}
          protocol: {{ default "TCP" .protocol }}
        {{- end }}
    {{- end }}
{{- end -}}
{{- end -}}
