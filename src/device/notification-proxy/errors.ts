import { CradleError } from "../../core/errors.js";

/** The other side of a notification_proxy connection sent something outside the protocol. */
export class NotificationProxyError extends CradleError {}
