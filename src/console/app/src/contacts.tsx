// The contacts of a contact list: pages of 50 from the server (NextToken), filtered by status, or by
// a topic (the contact's preference, else the topic's default); adding, editing each topic's
// preference and UnsubscribeAll (UpdateContact), and removing.
import { useState, type FormEvent } from 'react';
import {
  CreateContactCommand,
  DeleteContactCommand,
  GetContactCommand,
  ListContactsCommand,
  UpdateContactCommand,
  type GetContactCommandOutput,
  type SubscriptionStatus,
  type Topic,
} from '@aws-sdk/client-sesv2';
import type { Clients } from './api.js';
import { ListTable, RowButton, useTokenPages } from './list-table.js';
import { attempt, ErrorBox, useLoad } from './ui.js';

const PAGE_SIZE = 50;

interface Props {
  clients: Clients;
  list: string;
  topics: Topic[];
}

export function Contacts({ clients, list, topics }: Props) {
  const [topic, setTopic] = useState('');
  const [filtered, setFiltered] = useState<SubscriptionStatus | ''>('');
  const pages = useTokenPages();
  const [version, setVersion] = useState(0);
  const [status, setStatus] = useState<string>();
  const [error, setError] = useState<string>();
  const [address, setAddress] = useState('');
  const [editing, setEditing] = useState<GetContactCommandOutput>();
  const token = pages.token;
  const contacts = useLoad(
    () =>
      clients.sesv2.send(
        new ListContactsCommand({
          ContactListName: list,
          PageSize: PAGE_SIZE,
          NextToken: token,
          ...(topic || filtered
            ? {
                Filter: {
                  ...(filtered ? { FilteredStatus: filtered } : {}),
                  ...(topic
                    ? { TopicFilter: { TopicName: topic, UseDefaultIfPreferenceUnavailable: true } }
                    : {}),
                },
              }
            : {}),
        }),
      ),
    [clients, list, topic, filtered, token, version],
  );
  const refresh = (s: string) => {
    setStatus(s);
    setVersion((v) => v + 1);
  };

  async function add(e: FormEvent) {
    e.preventDefault();
    const EmailAddress = address.trim();
    if (
      await attempt(
        () => clients.sesv2.send(new CreateContactCommand({ ContactListName: list, EmailAddress })),
        setError,
      )
    ) {
      setAddress('');
      refresh(`Added ${EmailAddress}.`);
    }
  }
  async function edit(EmailAddress: string) {
    await attempt(
      async () =>
        setEditing(await clients.sesv2.send(new GetContactCommand({ ContactListName: list, EmailAddress }))),
      setError,
    );
  }
  async function remove(EmailAddress: string) {
    if (
      await attempt(
        () => clients.sesv2.send(new DeleteContactCommand({ ContactListName: list, EmailAddress })),
        setError,
      )
    ) {
      if (editing?.EmailAddress === EmailAddress) setEditing(undefined);
      refresh(`Removed ${EmailAddress}.`);
    }
  }

  return (
    <section className="panel" aria-labelledby="contacts-h">
      <h3 id="contacts-h">Contacts</h3>
      {status ? <p role="status">{status}</p> : null}
      <form className="inline" onSubmit={add} aria-label="Add a contact" noValidate>
        <label>
          Email address
          <input type="email" value={address} onChange={(e) => setAddress(e.target.value)} />
        </label>
        <button type="submit">Add contact</button>
      </form>
      <ErrorBox error={error} />
      <form className="inline" aria-label="Filter contacts" onSubmit={(e) => e.preventDefault()}>
        <label className="narrow">
          Filter by topic
          <select
            value={topic}
            onChange={(e) => {
              setTopic(e.target.value);
              pages.reset();
            }}
          >
            <option value="">The whole list</option>
            {topics.map((t) => (
              <option key={t.TopicName} value={t.TopicName}>
                {t.DisplayName}
              </option>
            ))}
          </select>
        </label>
        <label className="narrow">
          Filter by status
          <select
            value={filtered}
            onChange={(e) => {
              setFiltered(e.target.value as SubscriptionStatus | '');
              pages.reset();
            }}
          >
            <option value="">Any</option>
            <option value="OPT_IN">Subscribed (OPT_IN)</option>
            <option value="OPT_OUT">Unsubscribed (OPT_OUT)</option>
          </select>
        </label>
      </form>
      <ListTable
        rows={contacts.data && (contacts.data.Contacts ?? [])}
        error={contacts.error}
        empty="No contact matches."
        testId="contacts"
        pager={pages.pager('Contact pages', contacts.data?.NextToken)}
        rowKey={(c) => c.EmailAddress ?? ''}
        columns={[
          { header: 'Email address', cell: (c) => c.EmailAddress, className: 'mono' },
          { header: 'Unsubscribed from all', cell: (c) => (c.UnsubscribeAll ? 'Yes' : 'No') },
          {
            header: 'Topic preferences',
            cell: (c) =>
              (c.TopicPreferences ?? []).map((p) => `${p.TopicName}: ${p.SubscriptionStatus}`).join(', ') ||
              '—',
          },
          { header: 'Last updated', cell: (c) => c.LastUpdatedTimestamp?.toISOString() },
        ]}
        actions={(c) => (
          <>
            <RowButton verb="Edit" object={c.EmailAddress!} onClick={() => void edit(c.EmailAddress!)} />
            <RowButton verb="Remove" object={c.EmailAddress!} onClick={() => void remove(c.EmailAddress!)} />
          </>
        )}
      />
      {editing ? (
        <Preferences
          key={editing.EmailAddress}
          clients={clients}
          list={list}
          topics={topics}
          contact={editing}
          onSaved={(s) => {
            setEditing(undefined);
            refresh(s);
          }}
        />
      ) : null}
    </section>
  );
}

function Preferences(props: Props & { contact: GetContactCommandOutput; onSaved: (s: string) => void }) {
  const { clients, list, topics, contact } = props;
  const own = new Map((contact.TopicPreferences ?? []).map((p) => [p.TopicName, p.SubscriptionStatus]));
  const defaults = new Map(
    (contact.TopicDefaultPreferences ?? []).map((p) => [p.TopicName, p.SubscriptionStatus]),
  );
  const [chosen, setChosen] = useState(
    () =>
      new Map(
        topics.map((t) => [t.TopicName!, own.get(t.TopicName) ?? defaults.get(t.TopicName) ?? 'OPT_IN']),
      ),
  );
  const [all, setAll] = useState(contact.UnsubscribeAll ?? false);
  const [error, setError] = useState<string>();
  async function save(e: FormEvent) {
    e.preventDefault();
    const TopicPreferences = [...chosen].map(([TopicName, SubscriptionStatus]) => ({
      TopicName,
      SubscriptionStatus,
    }));
    if (
      await attempt(
        () =>
          clients.sesv2.send(
            new UpdateContactCommand({
              ContactListName: list,
              EmailAddress: contact.EmailAddress,
              TopicPreferences,
              UnsubscribeAll: all,
              ...(contact.AttributesData ? { AttributesData: contact.AttributesData } : {}),
            }),
          ),
        setError,
      )
    )
      props.onSaved(`Saved the preferences of ${contact.EmailAddress}.`);
  }
  return (
    <form onSubmit={save} aria-labelledby="prefs-h" data-testid="contact-preferences">
      <h4 id="prefs-h">Preferences of {contact.EmailAddress}</h4>
      {topics.map((t) => (
        <fieldset key={t.TopicName}>
          <legend>{t.DisplayName}</legend>
          {(['OPT_IN', 'OPT_OUT'] as const).map((s) => (
            <label key={s} className="radio">
              <input
                type="radio"
                name={`pref-${t.TopicName}`}
                checked={chosen.get(t.TopicName!) === s}
                onChange={() => setChosen(new Map(chosen).set(t.TopicName!, s))}
              />
              {s === 'OPT_IN' ? 'Subscribed' : 'Unsubscribed'}
            </label>
          ))}
        </fieldset>
      ))}
      <label className="radio">
        <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
        Unsubscribed from all topics
      </label>
      <button type="submit">Save preferences</button>
      <ErrorBox error={error} />
    </form>
  );
}
