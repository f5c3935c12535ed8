/**
 * Pod Security "restricted" allows only volume types that carry no node or network storage
 * access of their own. Reads `spec.volumes[*]`; allowed: configMap, csi, downwardAPI, emptyDir,
 * ephemeral, image, persistentVolumeClaim, projected, secret. A volume with only a name is
 * defaulted to emptyDir by the API server. hostPath is left to K8S-HOST-PATH-VOLUME.
 */
import { asArray, asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

const ALLOWED = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret']);

export default defineCheck({
  id: 'K8S-RESTRICTED-VOLUME-TYPES',
  title: 'Non-core volume type',
  severity: 'medium',
  category: 'pod-security',
  description: 'In-tree volume types such as nfs, iscsi, rbd, flexVolume or gitRepo are mounted by the node on the pod\'s behalf and bypass the PersistentVolume access controls; gitRepo has allowed code execution on the node.',
  remediation: 'Use a persistentVolumeClaim (or csi / ephemeral volume) instead of the inline volume source.',
  fields: ['spec.volumes[*]'],
  frameworks: { pss: ['restricted'], 'nist-800-190': ['4.4.3'] },
  aliases: ['KSV-0028'],
  concepts: [28],
  kinds: 'workload',
  run(ctx) {
    const w = ctx.workload!;
    asArray(w.podSpec['volumes']).forEach((v, i) => {
      const volume = asObject(v);
      if (volume === undefined) return;
      for (const key of Object.keys(volume)) {
        if (key === 'name' || key === 'hostPath' || ALLOWED.has(key)) continue;
        ctx.report([...w.specPath, 'volumes', i, key], `volume "${String(volume['name'])}" uses volume type ${key}`);
      }
    });
  },
});
