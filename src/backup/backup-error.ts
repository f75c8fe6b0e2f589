/** The backup cannot be used: the file is damaged, truncated, untrusted or does not fit. */
export class BackupError extends Error {
  constructor(
    message: string,
    /**
     * digest: the file is not the one the manifest describes; untrusted: the manifest is
     * not signed with this gateway's key, or the backup holds what no backup of ours holds.
     */
    readonly reason: 'digest' | 'content' | 'schema' | 'untrusted' = 'content',
  ) {
    super(message);
    this.name = 'BackupError';
  }
}
