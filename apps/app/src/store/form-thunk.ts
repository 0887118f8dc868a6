import { createAsyncThunk } from '@reduxjs/toolkit';
import { toFormError, type FormError } from '../api/errors';

/** An async action whose failure reaches the screen as a `FormError` (summary + field messages). */
export function formThunk<Result, Arg = void>(type: string, run: (arg: Arg) => Promise<Result>) {
  return createAsyncThunk<Result, Arg, { rejectValue: FormError }>(type, async (arg, { rejectWithValue }) => {
    try {
      return await run(arg);
    } catch (error) {
      return rejectWithValue(toFormError(error));
    }
  });
}
