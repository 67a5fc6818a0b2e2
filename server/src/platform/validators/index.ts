export { isValidMobile } from './mobile.js';
export {
  isValidRegionCode,
  parentRegionCode,
  type RegionLevel,
  regionContains,
  regionLevelOf,
  regionPrefix,
} from './region-code.js';
export {
  isValidResidentId,
  normalizeResidentId,
  parseResidentId,
  type ResidentIdInfo,
  residentIdCheckChar,
} from './resident-id.js';
export { isValidUscc, normalizeUscc, usccCheckChar } from './uscc.js';
