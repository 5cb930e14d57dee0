import type { FileModel } from '../../../model/manifest';
import type { Finding } from '../findings';
import { misplacedFields } from './misplacedField';
import { portsEmpty } from './portsEmpty';
import { portValueInvalid } from './portValueInvalid';

/** Slips in a file's shape that void or change its meaning without any port being wrong (SPEC §2a). */
export function checkStructure(model: FileModel): Finding[] {
  const findings = portValueInvalid(model);
  for (const policy of model.policies) {
    for (const rule of [...policy.ingress, ...policy.egress]) findings.push(...portsEmpty(model.uri, rule), ...misplacedFields(model.uri, rule));
  }
  return findings;
}
