import type { RestyleApi } from '../../shared/contract';

declare global {
  interface Window {
    /** Set by the preload in the app; absent in a browser (the dev bridge client stands in). */
    restyle?: RestyleApi;
  }
}
