import type { EtnaAuthErrorData } from 'etna-auth';

/** What to tell a person about `context.error`: branch on `kind`, never parse the message. */
export function errorText(error: EtnaAuthErrorData): string {
  switch (error.kind) {
    case 'network':
      return 'The server could not be reached. Check your connection.';
    case 'timeout':
      return 'The server did not answer in time.';
    case 'http':
      return `The server answered with HTTP ${error.status}.`;
    case 'protocol':
      return 'The server answered in a way this app does not understand.';
    case 'appKey':
      return 'The server refused this app’s application key: a configuration problem, not your password.';
    case 'rateLimited':
      return `Too many attempts: try again in ${Math.ceil((error.retryAfterMs ?? 0) / 1000)} s.`;
    case 'input':
      return error.message;
  }
}
