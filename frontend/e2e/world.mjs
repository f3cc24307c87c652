// The world outside the web app: the simulated panel (its keys, orders and control API) and a
// customer writing through SupportAI's public API, with the key the owner created in the app.

async function json(response) {
  if (!response.ok) throw new Error(`${response.url}: ${response.status} ${await response.text()}`);
  return response.json();
}

export class SimulatedPanel {
  constructor(url) {
    this.url = url;
  }

  async info() {
    return json(await fetch(`${this.url}/_sim/info`));
  }

  /** A completed order and its customer, from the panel's admin API. */
  async completedOrder() {
    const { panel } = await this.info();
    const page = await json(await fetch(`${this.url}/adminapi/v2/orders?order_status=completed&limit=1`, {
      headers: { 'X-Api-Key': panel.admin_key },
    }));
    return page.data.list[0];
  }

  /** A new order of `like`'s customer and service, in the given status, placed days ago. */
  async newOrder(like, status) {
    return json(await fetch(`${this.url}/_sim/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: like.user, service_id: like.service_id, quantity: 1000, status, age_seconds: 3 * 86400 }),
    }));
  }
}

export class Customer {
  constructor(apiUrl, apiKey, username) {
    Object.assign(this, { apiUrl, apiKey, username });
  }

  /** Writes to the panel's support (202 at once); returns the message's id. */
  async write(text) {
    const message = await json(await fetch(`${this.apiUrl}/api/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': this.apiKey },
      body: JSON.stringify({ customer: this.username, text }),
    }));
    return message.id;
  }

  async message(id) {
    return json(await fetch(`${this.apiUrl}/api/v1/messages/${id}`, { headers: { 'x-api-key': this.apiKey } }));
  }
}
