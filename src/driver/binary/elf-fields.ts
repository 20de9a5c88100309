// ELF field readers and table entries shared by the header parser (elf.ts) and the glibc scan (elf-glibc.ts).

/** Reads ELF fields in the file's own width and byte order. */
export class ElfFields {
  constructor(
    readonly buffer: Buffer,
    readonly is64: boolean,
    readonly little: boolean,
  ) {}

  u16(offset: number): number {
    return this.little ? this.buffer.readUInt16LE(offset) : this.buffer.readUInt16BE(offset)
  }

  u32(offset: number): number {
    return this.little ? this.buffer.readUInt32LE(offset) : this.buffer.readUInt32BE(offset)
  }

  /** An address, offset or size: 4 or 8 bytes. Files are far below 2^53 bytes. */
  word(offset: number): number {
    if (!this.is64) return this.u32(offset)
    return Number(this.little ? this.buffer.readBigUInt64LE(offset) : this.buffer.readBigUInt64BE(offset))
  }

  with(buffer: Buffer): ElfFields {
    return new ElfFields(buffer, this.is64, this.little)
  }
}

export interface ElfSegment {
  type: number
  offset: number
  vaddr: number
  filesz: number
}

export interface ElfSection {
  name: string
  type: number
  offset: number
  size: number
  link: number
  info: number
}
