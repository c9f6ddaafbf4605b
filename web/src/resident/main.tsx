import './resident.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { applyPalette } from './palette';
import { ResidentApp } from './ResidentApp';

applyPalette(document.documentElement);

const container = document.getElementById('root');
if (!container) throw new Error('The page has no #root element');

createRoot(container).render(
  <StrictMode>
    <ResidentApp />
  </StrictMode>,
);
