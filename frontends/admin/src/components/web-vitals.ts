// The web vitals the monitoring page lists, with web.dev's thresholds for "good" and "poor"
// (judged at the 75th percentile, as here).
export interface VitalDefinition {
  name: string;
  label: string;
  description: string;
  good: number;
  poor: number;
  format: (n: number) => string;
}

const ms = (n: number) => `${Math.round(n).toLocaleString()} ms`;

export const VITALS: VitalDefinition[] = [
  { name: 'web-vital.lcp', label: 'LCP', description: 'Largest Contentful Paint', good: 2500, poor: 4000, format: ms },
  { name: 'web-vital.inp', label: 'INP', description: 'Interaction to Next Paint', good: 200, poor: 500, format: ms },
  { name: 'web-vital.cls', label: 'CLS', description: 'Cumulative Layout Shift', good: 0.1, poor: 0.25, format: (n) => n.toFixed(3) },
  { name: 'web-vital.fcp', label: 'FCP', description: 'First Contentful Paint', good: 1800, poor: 3000, format: ms },
  { name: 'web-vital.ttfb', label: 'TTFB', description: 'Time to First Byte', good: 800, poor: 1800, format: ms },
];

export function vitalRating(vital: VitalDefinition, p75: number): 'good' | 'needs improvement' | 'poor' {
  return p75 <= vital.good ? 'good' : p75 > vital.poor ? 'poor' : 'needs improvement';
}
