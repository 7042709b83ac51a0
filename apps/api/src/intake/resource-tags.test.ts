import { AUTO_TYPE } from '@zeroscope/tags';
import { describe, expect, it } from 'vitest';
import { type NameLookup, resolveTags } from './resource-tags';

const names: Record<string, Record<string, number>> = {
  pod: { 'cart-7d9f': 11 },
  pod_ns: { shop: 3 },
  pod_group: { cart: 21 },
  service: { 'cart-svc': 31 },
  host: { 'node-1': 41, '10.0.0.5': 42 },
};
const lookup: NameLookup = (kind, name) => names[kind]?.[name];
const tags = (labels: Record<string, string>) => resolveTags((k) => labels[k], lookup);

describe('linking samples and spans to resources by their labels', () => {
  it('pod, namespace, workload and service labels pick the most specific auto tags', () => {
    expect(
      tags({ pod: 'cart-7d9f', namespace: 'shop', service: 'cart-svc', instance: '10.0.0.5:8080' }),
    ).toEqual({
      host_id: 42,
      pod_id: 11,
      pod_ns_id: 3,
      pod_group_id: 0,
      service_id: 31,
      auto_instance_id: 11,
      auto_instance_type: AUTO_TYPE.pod,
      auto_service_id: 31,
      auto_service_type: AUTO_TYPE.service,
    });
  });

  it('OTel resource attributes and Prometheus instance host:port both resolve', () => {
    expect(tags({ 'k8s.pod.name': 'cart-7d9f', 'k8s.deployment.name': 'cart' })).toMatchObject({
      pod_id: 11,
      pod_group_id: 21,
      auto_service_id: 21,
      auto_service_type: AUTO_TYPE.pod_group,
    });
    expect(tags({ instance: 'node-1:9100', job: 'node' })).toMatchObject({
      host_id: 41,
      auto_instance_id: 41,
      auto_instance_type: AUTO_TYPE.host,
      auto_service_id: 41,
      auto_service_type: AUTO_TYPE.host,
    });
  });

  it('unknown names link nothing', () => {
    expect(Object.values(tags({ pod: 'gone', instance: 'x:1' })).every((v) => v === 0)).toBe(true);
  });
});
