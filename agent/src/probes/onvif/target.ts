// An ONVIF target's syntax is the contract's, so the hub refuses what this probe would.
export {
  parseOnvifTarget as parseTarget,
  ONVIF_DEFAULT_PATH as DEFAULT_PATH,
  type OnvifDeviceAddress as DeviceAddress,
} from '@branchwatch/contract';
