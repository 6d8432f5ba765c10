import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DeviceLinkChannel } from "../../../src/device/devicelink/channel.js";
import { DeviceLinkError } from "../../../src/device/devicelink/errors.js";
import {
  FILE_CODE,
  type IncomingFile,
  receiveDownloadedFiles,
  receiveUploadedFiles,
  sendDownloadHeader,
  sendEndOfFiles,
  sendFileContent,
  sendFileFailure,
  sendUploadHeader,
} from "../../../src/device/devicelink/file-stream.js";
import {
  acceptDeviceLinkVersion,
  EMPTY_PARAMETER,
  offerDeviceLinkVersion,
  receiveProcessMessage,
  receiveStatusResponse,
  sendProcessMessage,
  sendStatusResponse,
} from "../../../src/device/devicelink/messages.js";
import { buildBinaryPlist } from "../../../src/device/plist/index.js";
import { type SocketPair, socketPair } from "../socket-pair.js";

let pair: SocketPair & { device: DeviceLinkChannel; host: DeviceLinkChannel };
beforeEach(async () => {
  const sockets = await socketPair();
  pair = {
    ...sockets,
    device: new DeviceLinkChannel(sockets.deviceReader, sockets.deviceSocket),
    host: new DeviceLinkChannel(sockets.hostReader, sockets.hostSocket),
  };
});
afterEach(() => pair.close());

/** Collects received files: path -> content, or the failure text. */
function collector() {
  const files = new Map<string, string | { failed: string }>();
  const open = async (path: string): Promise<IncomingFile> => {
    const chunks: Buffer[] = [];
    return {
      write: async (chunk) => {
        chunks.push(Buffer.from(chunk));
      },
      finish: async () => {
        files.set(path, Buffer.concat(chunks).toString("latin1"));
      },
      fail: async (reason) => {
        files.set(path, { failed: reason });
      },
    };
  };
  return { files, open };
}

async function* chunks(...parts: string[]): AsyncIterable<Buffer> {
  for (const part of parts) yield Buffer.from(part, "latin1");
}

describe("DeviceLink", () => {
  it("exchanges versions, then carries ProcessMessage and status responses both ways", async () => {
    const device = (async () => {
      await offerDeviceLinkVersion(pair.device, { major: 300, minor: 0 });
      const hello = await receiveProcessMessage(pair.device);
      await sendStatusResponse(pair.device, { code: -13, text: "Multi status", value: { a: 1 } });
      return hello;
    })();
    expect(await acceptDeviceLinkVersion(pair.host, 400)).toEqual({ major: 300, minor: 0 });
    await sendProcessMessage(pair.host, { MessageName: "Hello" });
    expect(await device).toEqual({ MessageName: "Hello" });
    expect(await receiveStatusResponse(pair.host)).toEqual({
      code: -13,
      text: "Multi status",
      value: { a: 1 },
    });
  });

  it("reads libimobiledevice's unsigned -13 as -13 and the empty placeholder as absent", async () => {
    await pair.device.send(["DLMessageStatusResponse", 2n ** 64n - 13n, EMPTY_PARAMETER, EMPTY_PARAMETER]);
    expect(await receiveStatusResponse(pair.host)).toEqual({ code: -13 });
  });

  it("refuses a device whose major version is above the host's", async () => {
    void offerDeviceLinkVersion(pair.device, { major: 500, minor: 0 }).catch(() => undefined);
    await expect(acceptDeviceLinkVersion(pair.host, 400)).rejects.toMatchObject({ code: "DeviceLinkError" });
  });

  it("streams files with the block codes, empty files and failures included, both directions", async () => {
    const big = "x".repeat(100_000);
    const sending = (async () => {
      await sendUploadHeader(pair.device, "/var/mobile/a", "UDID/aa/one");
      await sendFileContent(pair.device, chunks(big, "tail"));
      await sendUploadHeader(pair.device, "/var/mobile/e", "UDID/ee/empty");
      await sendFileContent(pair.device, chunks());
      await sendUploadHeader(pair.device, "/var/mobile/gone", "UDID/ff/gone");
      await sendFileFailure(pair.device, FILE_CODE.remoteError, "vanished");
      await sendEndOfFiles(pair.device);
      await sendDownloadHeader(pair.host, "UDID/Status.plist");
      await sendFileFailure(pair.host, FILE_CODE.localError, "No such file or directory");
      await sendEndOfFiles(pair.host);
    })();
    const up = collector();
    let bytes = 0;
    await receiveUploadedFiles(
      pair.host,
      (path) => up.open(path),
      (n) => {
        bytes += n;
      },
    );
    expect(up.files).toEqual(
      new Map<string, unknown>([
        ["UDID/aa/one", `${big}tail`],
        ["UDID/ee/empty", ""],
        ["UDID/ff/gone", { failed: "vanished" }],
      ]),
    );
    expect(bytes).toBe(big.length + 4);
    const down = collector();
    await receiveDownloadedFiles(pair.device, down.open);
    expect(down.files.get("UDID/Status.plist")).toEqual({ failed: "No such file or directory" });
    await sending;
  });
});

describe("DeviceLink on broken input", () => {
  const frame = (body: Buffer, length = body.length) => {
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE(length, 0);
    return Buffer.concat([prefix, body]);
  };

  it.each([
    ["an oversized length", frame(Buffer.alloc(0), 0x7fffffff), /bytes; a message holds/],
    ["a zero length", frame(Buffer.alloc(0), 0), /bytes; a message holds/],
    ["a plist that is not an array", frame(buildBinaryPlist({ a: 1 })), /not a DeviceLink message/],
    ["an array without a name", frame(buildBinaryPlist([1, 2])), /not a DeviceLink message/],
    ["garbage", frame(Buffer.from("bplist00 garbage garbage garbage garbage")), /not a valid binary plist/],
  ])("refuses %s", async (_name, bytes, message) => {
    pair.deviceSocket.write(bytes);
    await expect(pair.host.receive()).rejects.toThrow(message);
  });

  it("names the message that was due when another arrives", async () => {
    await sendProcessMessage(pair.device, { MessageName: "Response" });
    await expect(pair.host.expect("DLMessageVersionExchange")).rejects.toThrow(DeviceLinkError);
  });

  it("fails cleanly when the peer closes mid-frame or mid-file", async () => {
    pair.deviceSocket.end(frame(buildBinaryPlist(["DLMessageProcessMessage", {}])).subarray(0, 10));
    await expect(pair.host.receive()).rejects.toThrow(/closed/);
  });

  it("refuses an unknown block code and an overlong name", async () => {
    await sendUploadHeader(pair.device, "a", "b");
    pair.deviceSocket.write(Buffer.from([0, 0, 0, 1, 0x42]));
    await expect(receiveUploadedFiles(pair.host, collector().open)).rejects.toThrow(
      /unknown block code 0x42/,
    );
    const long = Buffer.alloc(4);
    long.writeUInt32BE(5000, 0);
    pair.hostSocket.write(long);
    await expect(receiveDownloadedFiles(pair.device, collector().open)).rejects.toThrow(/5000 bytes/);
  });
});
