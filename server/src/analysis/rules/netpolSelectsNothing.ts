import type { DialectPolicy, NetworkPolicy } from '../../model/manifest';
import { qualifiedName } from '../index/describe';
import type { Finding } from './findings';

/** `netpol-selects-nothing`: the policy's podSelector matches no pod template in the workspace. */
export function selectsNothing(policy: NetworkPolicy): Finding {
  return {
    uri: policy.ref.uri,
    range: policy.podSelector.range,
    severity: 'information',
    code: 'netpol-selects-nothing',
    message:
      `This policy selects no pod in the workspace, so its ports are not checked. NetworkPolicy ${qualifiedName(policy.ref)}: ` +
      `the pods may come from an operator or be disabled.`,
    related: [],
    fixes: [],
  };
}

/** The same for a Cilium or Calico policy, whose selector is written in its own language. */
export function dialectSelectsNothing(policy: DialectPolicy, name: string): Finding {
  return {
    uri: policy.ref.uri,
    range: policy.selector.range,
    severity: 'information',
    code: 'netpol-selects-nothing',
    message:
      `${name} selects no pod template in the workspace (${policy.selector.text || 'all()'}), so its ports cannot be checked ` +
      `(the pods may come from an operator or be disabled).`,
    related: [],
    fixes: [],
  };
}
