import { describe, expect, it } from "vitest";
import type { Endpoint } from "../../src/core/endpoint.js";
import type { Fields } from "../../src/core/fields.js";

/** A contact-shaped record that every contacts endpoint can store. */
export function sampleFields(fn: string, phone: string): Fields {
  return {
    scalars: { FN: JSON.stringify({ name: "fn", params: {}, type: "text", values: [fn] }) },
    texts: {},
    sets: {
      entries: {
        [`TEL:${phone}`]: JSON.stringify({ name: "tel", params: {}, type: "text", values: [phone] }),
      },
      "@order": { [`TEL:${phone}`]: "0000" },
    },
  };
}

/**
 * The contract every endpoint keeps, run by each endpoint's own test with its own factory
 * (as vdirsyncer's tests/storage and restic's backend test suite do).
 */
export function endpointContract(name: string, make: () => Promise<Endpoint>) {
  describe(`${name} keeps the endpoint contract`, () => {
    it("starts empty, creates, lists, reads back what it wrote", async () => {
      const endpoint = await make();
      expect(await endpoint.list()).toEqual([]);
      const [created] = await endpoint.write({
        create: [{ uid: "U-1", fields: sampleFields("Anna", "+4930123") }],
        update: [],
        delete: [],
      });
      expect(created?.ok).toBe(true);
      const listed = await endpoint.list();
      expect(listed).toHaveLength(1);
      const id = listed[0]?.id as string;
      if (created?.ok && created.kind !== "delete") expect(created.token).toBe(listed[0]?.token);
      const read = (await endpoint.read([id])).get(id);
      expect(read?.ok).toBe(true);
      if (read?.ok) {
        expect(read.item.uid).toBe("U-1");
        expect(read.item.fields).toEqual(sampleFields("Anna", "+4930123"));
      }
    });

    it("keeps tokens while nothing changes and changes them on update", async () => {
      const endpoint = await make();
      await endpoint.write({
        create: [{ uid: "U-2", fields: sampleFields("Ben", "+4420") }],
        update: [],
        delete: [],
      });
      const before = await endpoint.list();
      expect(await endpoint.list()).toEqual(before);
      const id = before[0]?.id as string;
      await new Promise((r) => setTimeout(r, 5));
      const [updated] = await endpoint.write({
        create: [],
        update: [{ id, uid: "U-2", fields: sampleFields("Ben O", "+4420") }],
        delete: [],
      });
      expect(updated?.ok).toBe(true);
      const after = await endpoint.list();
      expect(after.map((l) => l.id)).toEqual([id]);
      expect(after[0]?.token).not.toBe(before[0]?.token);
    });

    it("deletes", async () => {
      const endpoint = await make();
      await endpoint.write({
        create: [
          { uid: "U-3", fields: sampleFields("Carla", "+3906") },
          { uid: "U-4", fields: sampleFields("Dan", "+813") },
        ],
        update: [],
        delete: [],
      });
      const listed = await endpoint.list();
      const [gone] = await endpoint.write({ create: [], update: [], delete: [listed[0]?.id as string] });
      expect(gone?.ok).toBe(true);
      expect(await endpoint.list()).toHaveLength(1);
    });
  });
}
