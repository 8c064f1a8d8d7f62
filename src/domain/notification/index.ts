/** Notifications: which event sends which message to whom, the texts, and the SMS encoding. Pure. */
export * from './messages.ts';
export * from './defaults.ts';
export * from './render.ts';
export * from './sms.ts';
export * from './template.ts';
export * from './status.ts';
export * from './staff.ts';
export * from './io.ts';
