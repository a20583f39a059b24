import type { intakeInvoke } from '../../../../shared/contract/intake';
import type { Handlers } from '../handler-types';

export const intakeHandlers: Handlers<keyof typeof intakeInvoke> = {
  'intake:add-paths': (services, { paths, model }) =>
    services.intake.startScan(paths, {
      model: model ?? 'wanx-style-repaint-v1',
      crop: !services.settings.view().limits.sendUncropped,
    }),
  'intake:cancel-scan': (services, { scanId }) => ({
    canceled: services.intake.cancelScan(scanId),
  }),
  'intake:list-scans': (services) => services.intake.listScans(),
  'intake:scan-records': (services, { scanId, offset, limit }) =>
    services.intake.scanRecords(scanId, offset, limit),
  'intake:close-scan': (services, { scanId }) => {
    services.intake.closeScan(scanId);
    return { closed: true };
  },
  'intake:closed-scans': (services) => services.intake.closedScans(),
  'intake:choose-paths': (services, { single }) => services.platform.choosePhotos({ single }),
};
