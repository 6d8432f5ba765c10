/** Sample address book, as an iPhone exports it (vCard 3.0 with Apple item groups and labels). */
export const PHONE_CONTACTS: Record<string, string> = {
  "anna.vcf": `BEGIN:VCARD
VERSION:3.0
PRODID:-//Apple Inc.//iPhone OS 18.1//EN
N:Meyer;Anna;;;
FN:Anna Meyer
ORG:Lindenhof Architekten;
item1.EMAIL;type=INTERNET;type=pref:anna@lindenhof.example
item1.X-ABLabel:_$!<Work>!$_
TEL;type=CELL;type=VOICE;type=pref:+49 30 5550 1234
item2.ADR;type=HOME;type=pref:;;Kastanienallee 12;Berlin;;10435;Germany
item2.X-ABADR:de
BDAY;X-APPLE-OMIT-YEAR=1604:1604-06-21
NOTE:Met at the Bauhaus tour.
UID:7F1C3A52-0B7E-4B8E-9D2A-1A6B2C3D4E01
END:VCARD
`,
  "ben.vcf": `BEGIN:VCARD
VERSION:3.0
N:Okafor;Ben;;;
FN:Ben Okafor
TITLE:Head of Platform
ORG:Northwind;
TEL;type=WORK;type=VOICE:+44 20 7946 0018
item1.URL:https://northwind.example/ben
item1.X-ABLabel:profile
UID:7F1C3A52-0B7E-4B8E-9D2A-1A6B2C3D4E02
END:VCARD
`,
  "carla.vcf": `BEGIN:VCARD
VERSION:3.0
N:Rossi;Carla;;;
FN:Carla Rossi
TEL;type=HOME;type=VOICE:+39 06 5550 7788
item1.X-ABRELATEDNAMES:Marco Rossi
item1.X-ABLabel:_$!<Brother>!$_
UID:7F1C3A52-0B7E-4B8E-9D2A-1A6B2C3D4E03
END:VCARD
`,
};

/** The computer already knows Anna, under another UID: the first sync must match, not duplicate. */
export const COMPUTER_CONTACTS: Record<string, string> = {
  "anna-meyer.vcf": `BEGIN:VCARD
VERSION:3.0
N:Meyer;Anna;;;
FN:Anna Meyer
EMAIL;type=INTERNET:anna@lindenhof.example
UID:desktop-anna-0001
END:VCARD
`,
};

export const NEW_ON_PHONE = `BEGIN:VCARD
VERSION:3.0
N:Nakamura;Dan;;;
FN:Dan Nakamura
TEL;type=CELL;type=VOICE:+81 3 5550 4321
UID:7F1C3A52-0B7E-4B8E-9D2A-1A6B2C3D4E04
END:VCARD
`;

const crlf = (lines: string[]) => `${lines.join("\r\n")}\r\n`;

/** The computer's own calendar (a khal vdir): a monthly evening in Berlin and a floating one-off. */
export const COMPUTER_EVENTS: Record<string, string> = {
  "book-club.ics": crlf([
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//pimutils//khal//EN",
    "BEGIN:VEVENT",
    "UID:book-club@computer.example",
    "DTSTAMP:20260101T120000Z",
    "DTSTART;TZID=Europe/Berlin:20260108T193000",
    "DTEND;TZID=Europe/Berlin:20260108T213000",
    "RRULE:FREQ=MONTHLY;BYDAY=2TH",
    "SUMMARY:Book club",
    "LOCATION:Buchhandlung am Kiez",
    "END:VEVENT",
    "END:VCALENDAR",
  ]),
  "run.ics": crlf([
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//pimutils//khal//EN",
    "BEGIN:VEVENT",
    "UID:half-marathon@computer.example",
    "DTSTAMP:20260101T120000Z",
    "DTSTART:20260412T090000",
    "DTEND:20260412T113000",
    "SUMMARY:Half marathon",
    "END:VEVENT",
    "END:VCALENDAR",
  ]),
};
