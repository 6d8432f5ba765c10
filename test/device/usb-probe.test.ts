import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  appleDevicesFrom,
  describeUsbProbe,
  probeUsb,
  type UsbDeviceLike,
} from "../../src/device/usb-probe.js";

const alternate = (interfaceClass: number, interfaceSubclass: number, interfaceProtocol: number) => ({
  interfaceClass,
  interfaceSubclass,
  interfaceProtocol,
});
const device = (
  vendorId: number,
  productId: number,
  ...alternates: ReturnType<typeof alternate>[]
): UsbDeviceLike => ({
  vendorId,
  productId,
  configurations: [{ interfaces: alternates.map((a) => ({ alternates: [a] })) }],
});

describe("USB probe", () => {
  it("counts an Apple device only when it has the usbmux interface ff/fe/02", () => {
    const found = appleDevicesFrom([
      device(0x05ac, 0x12a8, alternate(6, 1, 1), alternate(0xff, 0xfe, 0x02)),
      device(0x05ac, 0x024f, alternate(3, 1, 1)), // an Apple keyboard
      device(0x1d6b, 0x0002, alternate(0xff, 0xfe, 0x02)), // not Apple
    ]);
    expect(found).toEqual([
      { productId: 0x12a8, usbmux: true },
      { productId: 0x024f, usbmux: false },
    ]);
    expect(describeUsbProbe({ status: "ok", appleDevices: found })).toContain("05ac:12a8");
    expect(describeUsbProbe({ status: "ok", appleDevices: [] })).toContain("No iPhone");
  });

  it("reports a machine without a USB bus instead of failing", async () => {
    const probe = await probeUsb();
    if (existsSync("/sys/bus/usb/devices")) expect(probe.status).not.toBe("no-bus");
    else {
      expect(probe.status).toBe("no-bus");
      expect(describeUsbProbe(probe)).toContain("No USB bus");
    }
  });
});
