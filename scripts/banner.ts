/** Lines of the `npm start` banner that tests check (scripts/start.ts prints them). */

/**
 * The banner's last line. A reader waits for it, not for the first line (已启动 / is running):
 * only then is the whole banner there (scripts/wait-ready.sh, test/faults/support.ts).
 */
export const BANNER_LAST = { zh: '按 Ctrl-C 停止全部服务。', en: 'Ctrl-C stops everything.' } as const;

/**
 * The banner's admin key line: never the whole key (the banner ends up in logs and
 * terminal scroll-back), only its first characters and where the whole key is: the file in DATA_DIR
 * (owner-readable only), or the ADMIN_API_KEY the operator set. Scripts read the file.
 */
export function adminKeyLine(admin: { key: string; source: string }, en: boolean): string {
  // The generated key's `admin_` prefix and 4 characters (24 of its 256 bits); of a key the operator set, 4 characters.
  const shown = `${admin.key.slice(0, admin.key.startsWith('admin_') ? 10 : 4)}…`;
  const where =
    admin.source === 'ADMIN_API_KEY'
      ? en
        ? 'the ADMIN_API_KEY you set'
        : '即所设置的 ADMIN_API_KEY'
      : en
        ? `whole key in ${admin.source.replace(/ \(new\)$/, '')}`
        : `完整密钥见 ${admin.source.replace(/ \(new\)$/, '')}`;
  return en ? `  Admin key    ${shown}   (${where})` : `  管理员密钥    ${shown}   （${where}；供系统对接和脚本使用）`;
}
