import type { BlockedUser, Contact, FriendRequest, PublicUser } from '@parley/protocol';
import { createAsyncThunk, createSlice } from '@reduxjs/toolkit';
import { parley } from '../api/parley';
import { formThunk } from './form-thunk';

export interface ContactsState {
  contacts: Contact[];
  incoming: FriendRequest[];
  outgoing: FriendRequest[];
  blocked: BlockedUser[];
  /** The last people search. */
  found: PublicUser[];
  loading: boolean;
}

const initialState: ContactsState = {
  contacts: [],
  incoming: [],
  outgoing: [],
  blocked: [],
  found: [],
  loading: false,
};

/** Everything the contacts screen shows, in one go. */
export const loadContacts = createAsyncThunk('contacts/load', async () => {
  const [contacts, incoming, outgoing, blocked] = await Promise.all([
    parley.contacts.list({ limit: 100 }),
    parley.friendRequests.list({ direction: 'incoming', limit: 100 }),
    parley.friendRequests.list({ direction: 'outgoing', limit: 100 }),
    parley.blocks.list({ limit: 100 }),
  ]);
  return { contacts: contacts.items, incoming: incoming.items, outgoing: outgoing.items, blocked: blocked.items };
});

export const findPeople = formThunk('contacts/find', async (q: string) => (await parley.users.search({ q })).items);

const thenReload =
  <Arg>(run: (arg: Arg) => Promise<unknown>) =>
  async (arg: Arg, { dispatch }: { dispatch: (action: unknown) => unknown }) => {
    await run(arg);
    await dispatch(loadContacts());
  };

export const sendFriendRequest = formThunk('contacts/request', async (userId: string) => {
  await parley.friendRequests.send(userId);
});
export const answerFriendRequest = createAsyncThunk(
  'contacts/answer',
  thenReload(({ id, answer }: { id: string; answer: 'accept' | 'decline' | 'cancel' }) =>
    parley.friendRequests[answer](id),
  ),
);
export const removeContact = createAsyncThunk(
  'contacts/remove',
  thenReload((userId: string) => parley.contacts.remove(userId)),
);
export const blockUser = createAsyncThunk(
  'contacts/block',
  thenReload((userId: string) => parley.blocks.block(userId)),
);
export const unblockUser = createAsyncThunk(
  'contacts/unblock',
  thenReload((userId: string) => parley.blocks.unblock(userId)),
);

const contacts = createSlice({
  name: 'contacts',
  initialState,
  reducers: {},
  extraReducers: (builder) => {
    builder
      .addCase(loadContacts.pending, (state) => {
        state.loading = true;
      })
      .addCase(loadContacts.fulfilled, (state, { payload }) => ({ ...state, ...payload, loading: false }))
      .addCase(loadContacts.rejected, (state) => {
        state.loading = false;
      })
      .addCase(findPeople.fulfilled, (state, { payload }) => {
        state.found = payload;
      });
  },
});

export default contacts.reducer;
