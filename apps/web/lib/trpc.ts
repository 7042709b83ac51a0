'use client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from './api-types';

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();
