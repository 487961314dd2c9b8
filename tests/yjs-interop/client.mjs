// A stock y-websocket client for the interop test.
// Usage: node client.mjs <ws://host/ws/plans> <plan id>
// Prints "synced <subject name>" once synced, types into the aim, announces
// presence, then prints "aim <text>" whenever the aim changes.
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'

const [serverUrl, planId] = process.argv.slice(2)
// The session cookie (PILLARS_COOKIE="pillars_session=..."), sent as a
// browser would send it.
const cookie = process.env.PILLARS_COOKIE
class SessionWebSocket extends WebSocket {
  constructor (url, protocols) {
    // A browser sends its page's origin; Pillars refuses a websocket without one.
    const origin = `http://${new URL(url).host}`
    super(url, protocols, { headers: cookie ? { cookie } : {}, origin })
  }
}
const doc = new Y.Doc()
const provider = new WebsocketProvider(serverUrl, planId, doc, { WebSocketPolyfill: SessionWebSocket })
const aim = doc.getText('aim')

provider.once('sync', (synced) => {
  if (!synced) return
  console.log(`synced ${doc.getText('subject_name').toString()}`)
  provider.awareness.setLocalStateField('user', { name: 'Yjs partner', color: '#2a9d8f' })
  aim.insert(0, 'Hello from Yjs. ')
  aim.observe(() => console.log(`aim ${aim.toString()}`))
})

process.stdin.on('end', () => { provider.destroy(); process.exit(0) })
process.stdin.resume()
