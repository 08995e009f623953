import type { AlertNotice } from './tracker';

const percent = (share: number) => `${Math.round(share * 100)} %`;
const minutes = (ms: number) => {
  const total = Math.round(ms / 1000);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return m ? (s ? `${m} min ${s} s` : `${m} min`) : `${s} s`;
};

/** The alert in a sentence a receptionist reads at a glance (Swedish), for the live board and a Teams or Slack channel. */
export function alertText(n: AlertNotice): string {
  const a = n.alert;
  const head = n.state === 'raised' ? '🔴' : '✅ Åtgärdat:';
  switch (a.kind) {
    case 'service-level':
      return n.state === 'raised'
        ? `${head} ${a.label}: servicenivån de senaste 30 minuterna är ${percent(a.share)}, målet är ${percent(a.target)} inom ${a.seconds} s.`
        : `${head} ${a.label}: servicenivån de senaste 30 minuterna är åter på målet (${percent(a.target)} inom ${a.seconds} s).`;
    case 'long-wait':
      return n.state === 'raised'
        ? `${head} ${a.label}: en uppringare har väntat ${minutes(a.waitedMs)} (gräns ${minutes(a.limitMs)}).`
        : `${head} ${a.label}: ingen har väntat längre än ${minutes(a.limitMs)}.`;
    case 'queue-length':
      return n.state === 'raised' ? `${head} ${a.label}: ${a.waiting} väntar i kön (gräns ${a.limit}).` : `${head} ${a.label}: kön är inte längre än ${a.limit}.`;
    case 'no-answers':
      return n.state === 'raised' ? `${head} ${a.label} har inte svarat på ${a.count} samtal i rad.` : `${head} ${a.label} har svarat igen.`;
    case 'callbacks-overdue':
      return n.state === 'raised'
        ? `${head} ${a.count === 1 ? '1 återuppringning har' : `${a.count} återuppringningar har`} passerat det utlovade klockslaget.`
        : `${head} Inga återuppringningar är försenade längre.`;
  }
}
