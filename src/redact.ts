/**
 * Replaces known secret values in text. Secrets are added as they become known (password options
 * once parsed, tokens once a driver returns them), so everything ke prints or logs goes through one.
 */
export class Redactor {
  private readonly secrets = new Set<string>()

  add(...values: Array<string | undefined>): void {
    // very short values would redact ordinary words; real secrets are longer
    for (const value of values) if (value && value.length >= 4) this.secrets.add(value)
  }

  redact(text: string): string {
    let out = text
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join('<redacted>')
    return out
  }

  get size(): number {
    return this.secrets.size
  }
}

export const REDACTED = '<redacted>'
