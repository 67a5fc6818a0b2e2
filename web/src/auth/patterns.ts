/** Shape checks done in the browser; check digits and everything else are the server's to judge. */
export const MOBILE_PATTERN = /^1\d{10}$/;
/** 居民身份证号码: 17 digits and a check character. */
export const RESIDENT_ID_PATTERN = /^\d{17}[\dXx]$/;
/** 统一社会信用代码: 18 characters of the GB 32100 alphabet (no I, O, S, V, Z). */
export const USCC_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
