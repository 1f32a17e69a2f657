export const defaultRetries = 3;
export const defaultRetryDelay = 1000;
export const PLUGIN_IDENTIFIER = '[ Module Federation RetryPlugin ]';
export const ERROR_ABANDONED = 'The request failed and has now been abandoned';
export const RUNTIME_008 = 'RUNTIME-008';
