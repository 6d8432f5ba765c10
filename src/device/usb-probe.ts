/**
 * Whether an Apple device is on the USB bus, independent of usbmuxd: vendor 0x05AC with a usbmux
 * interface (class 0xFF, subclass 0xFE, protocol 0x02; usbmuxd 1.1.1 src/usb.h). This tells
 * "no device plugged in" apart from "plugged in, but usbmuxd does not see it". Containers often
 * have no USB bus at all, which is reported, not thrown.
 */

export const APPLE_VENDOR_ID = 0x05ac;
const USBMUX_INTERFACE = { class: 0xff, subclass: 0xfe, protocol: 0x02 } as const;

export interface AppleUsbDevice {
  productId: number;
  /** Has a usbmux interface in some configuration (an iPhone, iPad or iPod, not a keyboard). */
  usbmux: boolean;
}

export type UsbProbe =
  | { status: "ok"; appleDevices: AppleUsbDevice[] }
  | { status: "no-bus"; detail: string }
  | { status: "unavailable"; detail: string };

/** The shape of a `usb` device this module reads. */
export interface UsbDeviceLike {
  vendorId: number;
  productId: number;
  configurations: {
    interfaces: {
      alternates: { interfaceClass: number; interfaceSubclass: number; interfaceProtocol: number }[];
    }[];
  }[];
}

export function appleDevicesFrom(devices: UsbDeviceLike[]): AppleUsbDevice[] {
  return devices
    .filter((d) => d.vendorId === APPLE_VENDOR_ID)
    .map((d) => ({
      productId: d.productId,
      usbmux: d.configurations.some((c) =>
        c.interfaces.some((i) =>
          i.alternates.some(
            (a) =>
              a.interfaceClass === USBMUX_INTERFACE.class &&
              a.interfaceSubclass === USBMUX_INTERFACE.subclass &&
              a.interfaceProtocol === USBMUX_INTERFACE.protocol,
          ),
        ),
      ),
    }));
}

export async function probeUsb(): Promise<UsbProbe> {
  try {
    const { WebUSB } = await import("usb");
    const devices = await new WebUSB({ allowAllDevices: true }).getDevices();
    return { status: "ok", appleDevices: appleDevicesFrom(devices as unknown as UsbDeviceLike[]) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    // libusb on Linux reads /sys/bus/usb; without it (a container) there is no bus to look at.
    if (/sys\/bus\/usb|no such file|not found/i.test(detail)) return { status: "no-bus", detail };
    return { status: "unavailable", detail };
  }
}

/** One sentence for people. */
export function describeUsbProbe(probe: UsbProbe): string {
  if (probe.status === "no-bus")
    return "No USB bus is visible here (a container or VM?), so plugged-in devices cannot be seen.";
  if (probe.status === "unavailable") return `USB could not be read (${probe.detail}).`;
  const phones = probe.appleDevices.filter((d) => d.usbmux);
  if (phones.length === 0) return "No iPhone, iPad or iPod is plugged in over USB.";
  const ids = phones.map((d) => `05ac:${d.productId.toString(16).padStart(4, "0")}`).join(", ");
  return `${phones.length} Apple device(s) with a usbmux interface plugged in over USB (${ids}).`;
}
