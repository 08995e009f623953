import twilio from 'twilio';
import type { OutboundCalls } from '../../queue/operator-ringer';

/** Twilio's REST client, kept to the one call callpath makes. */
export function twilioOutboundCalls(accountSid: string, authToken: string): OutboundCalls {
  const client = twilio(accountSid, authToken);
  return {
    create: async (opts) => {
      const call = await client.calls.create(opts);
      return { sid: call.sid };
    },
  };
}
