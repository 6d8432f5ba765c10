/**
 * ORGANIZER/ATTENDEE ↔ Participant rows. Participant.status follows iCalendar's PARTSTAT order
 * and role its ROLE order (0 when the property has no such parameter); entity_type is 7 for an
 * attendee and 8 for the organizer (ILEAPP calendarAll.py reads invitees as entity_type 7).
 */
import type { ICalProp } from "../model.js";
import type { ParticipantRecord } from "./record.js";

export const ParticipantEntity = { attendee: 7, organizer: 8 } as const;

const PARTSTAT = ["", "ACCEPTED", "DECLINED", "TENTATIVE", "DELEGATED", "COMPLETED", "IN-PROCESS"];
const ROLE = ["", "REQ-PARTICIPANT", "OPT-PARTICIPANT", "CHAIR", "NON-PARTICIPANT"];

const param = (p: ICalProp, name: string): string | undefined => {
  const value = p.params[name];
  return typeof value === "string" ? value : Array.isArray(value) ? value[0] : undefined;
};

/** ORGANIZER has no PARTSTAT or ROLE (RFC 5545 §3.8.4.3): its status and role are 0. */
export function propToParticipant(p: ICalProp): ParticipantRecord {
  const address = String(p.values[0] ?? "");
  const attendee = p.name === "attendee";
  const partstat = attendee ? (param(p, "partstat") ?? "").toUpperCase() : "";
  const role = attendee ? (param(p, "role") ?? "").toUpperCase() : "";
  return {
    email: address.replace(/^mailto:/i, ""),
    name: param(p, "cn") ?? null,
    status: Math.max(PARTSTAT.indexOf(partstat), 0),
    role: Math.max(ROLE.indexOf(role), 0),
  };
}

export function participantToProp(name: "organizer" | "attendee", person: ParticipantRecord): ICalProp {
  const params: Record<string, string> = {};
  if (person.name) params.cn = person.name;
  const partstat = PARTSTAT[person.status];
  if (name === "attendee" && partstat) params.partstat = partstat;
  const role = ROLE[person.role];
  if (name === "attendee" && role) params.role = role;
  return { name, params, type: "cal-address", values: [`mailto:${person.email}`] };
}
