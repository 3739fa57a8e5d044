import { contact, type Contact, PhoneBook } from './names.ts'
import type { Rng } from './random.ts'

/**
 * The fictitious people behind the data: village cadres (村干部), group leaders (村民小组长),
 * town officials and water-station technicians. Each is created once, so the same person (and
 * phone number) answers for several duties, as in a real township.
 */
export class Rosters {
  readonly phones: PhoneBook
  private readonly directors = new Map<number, Contact>()
  private readonly groupCadres = new Map<number, Contact[]>()
  private readonly officials: Contact[] = []
  private readonly technicians: Contact[] = []

  constructor(private readonly rng: Rng) {
    this.phones = new PhoneBook(rng.int(0, 9999))
    for (let k = 0; k < 6; k++) this.officials.push(contact(rng, this.phones))
    for (let k = 0; k < 4; k++) this.technicians.push(contact(rng, this.phones))
  }

  /** Any fictitious person with a fresh phone number. */
  person(): Contact {
    return contact(this.rng, this.phones)
  }

  /** 村委会主任 of an administrative village. */
  director(admin: number): Contact {
    const existing = this.directors.get(admin)
    if (existing) return existing
    const created = this.person()
    this.directors.set(admin, created)
    return created
  }

  /** Cadres and party members of a natural village who take on 包保 duties (2–4 of them). */
  cadres(village: number): Contact[] {
    const existing = this.groupCadres.get(village)
    if (existing) return existing
    const created = Array.from({ length: this.rng.int(2, 4) }, () => this.person())
    this.groupCadres.set(village, created)
    return created
  }

  /** 村民小组长 of a natural village. */
  groupLeader(village: number): Contact {
    return this.cadres(village)[0] as Contact
  }

  /** A town leader (镇领导) for administrative responsibilities. */
  official(k: number): Contact {
    return this.officials[k % this.officials.length] as Contact
  }

  /** A technician of the town's water station (水务站). */
  technician(k: number): Contact {
    return this.technicians[k % this.technicians.length] as Contact
  }
}
