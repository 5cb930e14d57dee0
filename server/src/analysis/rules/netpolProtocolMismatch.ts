import type { PortEntry } from '../../model/manifest';
import type { PortPolicy, PortRule } from './portPolicy';
import { joinAnd, objectName } from '../index/describe';
import { setProtocol } from '../fixes/edits';
import type { KnownPort, PodPorts } from '../index/podPorts';
import type { Finding, Fix, RelatedLocation } from './findings';
import { tiered } from './tiers';
import { capitalize, message } from './messages';

/**
 * `netpol-protocol-mismatch`: the entry matches a selected container port only under another
 * protocol (StatsD's 9125/UDP with TCP implied). `written` is the entry as the message names it.
 */
export function protocolMismatch(
  policy: PortPolicy,
  rule: PortRule,
  entry: PortEntry,
  written: string,
  pods: PodPorts[],
  matches: KnownPort[],
  related: RelatedLocation[],
): Finding {
  const uri = policy.ref.uri;
  const protocols = [...new Set(matches.map((p) => p.protocol))];
  const implied = entry.protocolValue ? '' : ` (${entry.protocol} is implied when no protocol is written)`;
  // A protocol written once for the whole rule (Calico's) changes every port of the rule with it.
  const shared = entry.ruleProtocol === true && (rule.ports?.length ?? 0) > 1;
  const fixes: Fix[] = protocols.map((protocol) => ({
    title: shared ? `Change the rule's protocol to ${protocol} (for all its ports)` : `Change protocol to ${protocol}`,
    isPreferred: protocols.length === 1 && !shared,
    edits: setProtocol(uri, entry, protocol),
  }));
  const owners = [
    ...new Set(matches.map((p) => (p.declared ? objectName(pods.find((pod) => pod.ports.includes(p))!.pod.ref) : ''))),
  ].filter(Boolean);
  const served = joinAnd([...new Set(matches.map((p) => `${p.number}/${p.protocol}${p.name ? ` "${p.name}"` : ''}`))]);
  return tiered('evidence', {
    uri,
    range: (entry.ruleProtocol ? undefined : entry.protocolValue?.range) ?? entry.port!.range,
    code: 'netpol-protocol-mismatch',
    message: message(
      `${written}${entry.protocolValue ? '' : ' (implied)'} should be ${protocols.join(' or ')}`,
      `the pods serve ${served}`,
      `${implied ? `${capitalize(implied.trim().slice(1, -1))}. ` : ''}${joinAnd(owners)} serve${owners.length === 1 ? 's' : ''} ` +
        `${served}.`,
    ),
    related,
    fixes: fixes.filter((f) => f.edits.length > 0),
  });
}
