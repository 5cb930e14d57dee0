import type { FileModel } from '../../../model/manifest';
import type { Finding } from '../findings';
import { misplacedFields } from './misplacedField';
import { portNull } from './portNull';
import { portsEmpty } from './portsEmpty';
import { portValueInvalid } from './portValueInvalid';
import { rulesIgnored } from './rulesIgnored';
import { effectiveRules } from './effectiveRules';

/** Slips in a file's shape that void or change its meaning without any port being wrong (SPEC §2a). */
export function checkStructure(model: FileModel): Finding[] {
  const findings = portValueInvalid(model);
  for (const policy of model.policies) {
    findings.push(...rulesIgnored(model.uri, policy));
    // What ignored rules would admit does not matter: they are dead.
    for (const rule of effectiveRules(policy)) {
      findings.push(...portsEmpty(model.uri, rule), ...portNull(model.uri, rule), ...misplacedFields(model.uri, rule));
    }
  }
  return findings;
}
